"""Factories for test data: real rows through the same domain functions the app uses."""
from __future__ import annotations

import itertools
from pathlib import Path

from learning.accounts import NewUser, create_user
from learning.cli import import_curriculum
from learning.extensions import db
from learning.models import Office, Region

PASSWORD = "kata-sandi-uji-123"
_counter = itertools.count(1)
SAMPLE_CURRICULUM = Path(__file__).parent / "data" / "curriculum"


def make_office(code: str = "KANIM-BTL", name: str = "Kantor Imigrasi Batulicin",
                region_code: str = "KALSEL", region_name: str = "Kanwil Kalimantan Selatan"):
    region = db.session.scalar(db.select(Region).where(Region.code == region_code))
    if region is None:
        region = Region(code=region_code, name=region_name)
        db.session.add(region)
    office = Office(code=code, name=name, region=region)
    db.session.add(office)
    db.session.commit()
    return office


def make_user(role: str = "officer", username: str | None = None, password: str = PASSWORD,
              office=None, nip: str | None = None, full_name: str | None = None, **extra):
    n = next(_counter)
    user = create_user(NewUser(username=username or f"{role}{n}",
                               full_name=full_name or f"Petugas Uji {n}", role=role, nip=nip,
                               office_code=office.code if office else None), password)
    for key, value in extra.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def import_sample_curriculum(root: Path = SAMPLE_CURRICULUM):
    return import_curriculum(root)


def login(client, username: str, password: str = PASSWORD, follow: bool = False):
    return client.post("/login", data={"identifier": username, "password": password},
                       follow_redirects=follow)
