"""Anonyscribe: transcribe research interviews and anonymise them on the researcher's machine."""

__version__ = "0.1.0"
