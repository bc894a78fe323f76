"""Reports to print and file: a trainee's record (one, or a whole cohort's: one PDF each or one
document), and the cohort report with its charts. PDFs are typeset by ``exchange.pdf``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from latsar.errors import UsageError
from latsar.services.context import Context
from latsar.services.instructor import dossier
from latsar.services.instructor.figures import CohortDetail
from latsar.services.instructor.report import CohortReports
from latsar.services.learners import LearnerDirectory, require_cohort


def file_name(report: dossier.TraineeReport) -> str:
    """A trainee's PDF in a folder of them: NIP (or id) and name, in letters any file system takes."""
    who = report.record.learner
    plain = unicodedata.normalize("NFKD", who.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:60] or "peserta"
    return f"{who.nip or f'id{who.id}'}-{slug}.pdf"


class Documents:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- trainees ------------------------------------------------------------------------------------

    def trainee(self, ref: str) -> dossier.TraineeReport:
        return dossier.build(self.ctx, LearnerDirectory(self.ctx).resolve(ref).id)

    def trainees(self, cohort: str) -> list[dossier.TraineeReport]:
        """Every trainee of a cohort (which must exist and have learners), by name."""
        name = require_cohort(self.ctx, cohort)
        learners = sorted(LearnerDirectory(self.ctx).list(name), key=lambda x: (x.name.casefold(), x.id))
        if not learners:
            raise UsageError(f"Tidak ada peserta di angkatan '{name}'.")
        return [dossier.build(self.ctx, learner.id) for learner in learners]

    def trainee_pdf(self, reports: Sequence[dossier.TraineeReport], path: Path) -> None:
        """One PDF: each trainee from a new page, with their own page numbers."""
        from latsar.exchange.pdf import check_pdf_path, render, write_pdf

        check_pdf_path(path)
        title = reports[0].record.learner.name if len(reports) == 1 else f"Catatan peserta ({len(reports)})"
        write_pdf(path, render([r.document(self.ctx.course.title) for r in reports], f"{title} — {self.ctx.course.title}"))

    def trainee_pdfs(self, reports: Sequence[dossier.TraineeReport], folder: Path) -> list[Path]:
        """One PDF per trainee in ``folder`` (which must exist), named by NIP and name."""
        from latsar.exchange.pdf import render, write_pdfs

        folder = Path(folder)
        if not folder.is_dir():
            raise UsageError(f"Folder {folder} tidak ada; buat dulu, atau tulis satu berkas .pdf untuk seluruh angkatan.")
        pdfs = [
            (folder / file_name(r), render([r.document(self.ctx.course.title)], f"{r.record.learner.name} — {self.ctx.course.title}"))
            for r in reports
        ]
        write_pdfs(pdfs)  # all or none: a full disk half-way leaves none written
        return [path for path, _ in pdfs]

    # -- the cohort ------------------------------------------------------------------------------------

    def cohort(self, cohort: str | None = None) -> list[CohortDetail]:
        return CohortReports(self.ctx).details(cohort)

    def cohort_pdf(self, details: Sequence[CohortDetail], path: Path) -> None:
        from latsar.exchange.pdf import check_pdf_path, render, write_pdf
        from latsar.services.instructor.printed import cohort_document

        check_pdf_path(path)
        if not details:
            raise UsageError("Belum ada peserta; tidak ada laporan angkatan.")
        now = self.ctx.clock()
        docs = [cohort_document(self.ctx.course, d, now) for d in details]
        title = docs[0].title if len(docs) == 1 else f"Laporan angkatan ({len(docs)})"
        write_pdf(path, render(docs, f"{title} — {self.ctx.course.title}"))
