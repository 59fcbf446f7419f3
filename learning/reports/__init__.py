"""Reports for administrators and trainers: completion rates from national level down to one
officer, the weekly trend, the 'perlu bantuan' list, item analysis of quizzes, officer detail,
and their CSV/XLSX exports and SVG charts.

Every report is a fixed number of SQL aggregate queries (GROUP BY over indexed columns), whatever
the number of officers; Python only arranges the aggregated rows. Each returns a ReportTable that
the page renders and the exports write, so screen and download always agree.
"""
from .attention import HelpCounts, HelpList, officers_needing_help
from .completion import (NATIONAL, OFFICE, REGION, CompletionReport, Counts, completion_rates,
                         published_courses, trend_window)
from .filters import FilterError, ReportFilter, parse_days, parse_filter, parse_page
from .items import (ItemAnalysis, RevisionChoice, item_analysis, quiz_overview, quiz_revisions)
from .officer import OfficerDetail, officer_detail
from .tables import Column, ReportRow, ReportTable

__all__ = [
    "NATIONAL", "OFFICE", "REGION", "Column", "CompletionReport", "Counts", "FilterError",
    "HelpCounts", "HelpList", "ItemAnalysis", "OfficerDetail", "ReportFilter", "ReportRow", "ReportTable",
    "RevisionChoice", "completion_rates", "item_analysis", "officer_detail",
    "officers_needing_help", "parse_days", "parse_filter", "parse_page", "published_courses",
    "quiz_overview", "quiz_revisions", "trend_window",
]
