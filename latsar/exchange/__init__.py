"""Files in and out: CSV/XLSX/JSON writers, rosters, results files, GIFT. No ORM here."""
