"""`flask --app app regions ...` and `offices ...`: the organisation from the console, with the
same rules as the administrator's Organisation page (learning.admin.organisation)."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import gettext as _

from learning.console import speaking
from learning.extensions import db
from learning.models import Office, Region
from .messages import message
from .organisation import OrganisationError, create_office, create_region, find_region

regions_cli = AppGroup("regions", help="Regional offices (Kanwil): list and create.")
offices_cli = AppGroup("offices", help="Immigration offices (Kantor Imigrasi): list and create.")


def _refused(exc: OrganisationError) -> click.ClickException:
    db.session.rollback()
    return click.ClickException(message(exc.code, exc.params))


@regions_cli.command("create")
@click.option("--code", required=True, help="Up to 32 capitals, digits, '.', '_' or '-', e.g. KANWIL-KALSEL.")
@click.option("--name", required=True, help='e.g. "Kanwil Kalimantan Selatan".')
def regions_create(code, name):
    """Create a regional office (Kanwil)."""
    with speaking():
        try:
            region = create_region(code, name)
            db.session.commit()
        except OrganisationError as exc:
            raise _refused(exc) from None
        click.echo(_("Kanwil %(code)s (%(name)s) dibuat.", code=region.code, name=region.name))


@regions_cli.command("list")
def regions_list():
    """Every regional office with its code and number of offices."""
    rows = db.session.execute(
        sa.select(Region.code, Region.name, sa.func.count(Office.id))
        .outerjoin(Office, Office.region_id == Region.id).group_by(Region.id).order_by(Region.code))
    for code, name, offices in rows:
        click.echo(f"{code}\t{name}\t{offices}")


@offices_cli.command("create")
@click.option("--code", required=True, help="Up to 32 capitals, digits, '.', '_' or '-', e.g. KANIM-BTL.")
@click.option("--name", required=True, help='e.g. "Kantor Imigrasi Batulicin".')
@click.option("--region", "region_code", required=True, help="Code of an existing Kanwil.")
def offices_create(code, name, region_code):
    """Create an immigration office under an existing regional office."""
    with speaking():
        region = find_region(region_code)
        if region is None:
            raise click.ClickException(_(
                "Kanwil %(code)s tidak dikenal. Buat dulu: flask --app app regions create "
                "--code %(code)s --name \"…\" (daftar: flask --app app regions list).",
                code=region_code.strip().upper() or "?"))
        try:
            office = create_office(code, name, region)
            db.session.commit()
        except OrganisationError as exc:
            raise _refused(exc) from None
        click.echo(_("Kantor %(code)s (%(name)s) dibuat di %(region)s.", code=office.code,
                     name=office.name, region=region.code))


@offices_cli.command("list")
def offices_list():
    """Every office with its code and its Kanwil."""
    rows = db.session.execute(sa.select(Office.code, Office.name, Region.code)
                              .join(Region, Office.region_id == Region.id).order_by(Office.code))
    for code, name, region in rows:
        click.echo(f"{code}\t{name}\t{region}")
