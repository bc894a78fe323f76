"""latsar: an offline study-and-assessment app for the Latsar CPNS module *Berorientasi Pelayanan*."""

__version__ = "0.1.0"
