"""Reports (/admin/reports): completion from national level down to one officer, the weekly
trend, 'perlu bantuan', item analysis and officer detail, each table downloadable as CSV and XLSX.

Trainers and administrators may read every report; nothing here changes data. Officers get 403 on
every URL (their own progress is on their dashboard), so guessing another officer's detail or
export URL gets them nothing. Every view parses its filters, calls one domain function per table
and renders; the export of a table calls the very same function.
"""
from ..blueprint import bp  # noqa: F401
from . import attention, common, levels, quizzes  # noqa: F401  (registers the routes)
