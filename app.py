"""Entry point. `python app.py` prepares the embedded database on first start and serves the site.

Production: `gunicorn -c gunicorn.conf.py "app:app"`.
"""
import os

from learning import create_app

app = create_app()

if __name__ == "__main__":
    from learning.cli import bootstrap

    bootstrap(app)
    port = int(os.environ.get("PORT", "5000"))
    print(f"Pimpasa Learning: http://127.0.0.1:{port}/", flush=True)
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=port, threaded=True)
