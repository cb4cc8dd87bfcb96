"""Faults of report generation that no retry of the same job can fix; each has a one-line reason."""


class ReportError(Exception):
    """A permanent fault; `str(exc)` is the reason shown to admins."""


class InvalidReport(ReportError):
    """The output is not JSON that matches the report schema."""

    def __init__(self, problem: str, output: str = "") -> None:
        super().__init__(problem)
        self.output = output  # what the model wrote, shown back to it when it gets another try


class ContentFiltered(ReportError):
    """The model provider's content filter blocked the prompt or the answer."""


class ModelRefused(ReportError):
    """The model declined to answer."""


class NoSourceRows(ReportError):
    """The source table has nothing for the job's scope and period."""


class SourceRowsUnreadable(ReportError):
    """SOURCE_ROWS_TABLE is missing or does not meet the column contract."""
