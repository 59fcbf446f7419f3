"""Pictures at the size a screen needs: smaller WebP copies of stored images (360 and 720 px
wide, made on first request and kept), the `srcset` that lets a phone pick one, and the size of
an offline download. Pure functions over bytes and HTML: the studio serves the copies."""
