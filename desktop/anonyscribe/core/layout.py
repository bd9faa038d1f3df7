"""Where a study's two folders may be: apart, always.

The output folder receives only anonymised files and is meant to be shared; the study
(private) folder holds raw transcripts and the key to every pseudonym. If one were the other,
or inside it, the key would travel with the transcripts it unlocks. The command line (batch,
export) and the app's export all ask ``check_apart`` before writing anything.
"""

from __future__ import annotations

import os
from pathlib import Path

from .study import STUDY_FILE

# The study folder's name beside the output folder when ``--private`` is not given.
PRIVATE_SUFFIX = "-private"


class LayoutError(ValueError):
    """The study folder and the output folder overlap; said before anything is written."""


def _real(path: Path) -> Path:
    return Path(path).expanduser().resolve()


def check_apart(private_dir: Path, out_dir: Path) -> None:
    """Refuse a study folder that is, holds, or sits inside the output folder."""
    priv, out = _real(private_dir), _real(out_dir)
    if priv == out:
        how = "they are the same folder"
    elif out in priv.parents:
        how = "the study folder is inside the output folder"
    elif priv in out.parents:
        how = "the output folder is inside the study folder"
    else:
        return
    hint = default_private(out_dir)
    example = "" if out in _real(hint).parents else f', for example "{hint}" for the study'
    raise LayoutError(
        f'The study folder "{private_dir}" and the output folder "{out_dir}" overlap ({how}). '
        "The output folder gets only anonymised files, to share; the study folder keeps the "
        f"raw transcripts and the key to every pseudonym. Choose two separate folders{example}."
    )


def default_private(out_dir: Path) -> Path:
    """The study folder used when none is named: beside the output folder, never in it."""
    out = Path(os.path.normpath(out_dir))
    if out.name in ("", ".."):  # ".", "x/..", "/": name it after the real folder
        out = _real(out)
    return out.parent / f"{out.name}{PRIVATE_SUFFIX}"


def study_folders(out_dir: Path, private_dir: Path | None) -> Path:
    """The study folder for ``out_dir`` (``private_dir`` or the default), checked apart.

    A study that earlier versions kept at the old default, ``OUT/private``, is not silently
    replaced by a new empty one: the message says how to move it out."""
    if private_dir is None:
        old = Path(out_dir) / "private"
        if (old / STUDY_FILE).exists():
            new = default_private(out_dir)
            raise LayoutError(
                f'The study folder "{old}" is inside the output folder "{out_dir}", where it '
                "would be shared with the anonymised files. Move it out, for example to "
                f'"{new}", and pass --private "{new}".'
            )
        private_dir = default_private(out_dir)
    check_apart(private_dir, out_dir)
    return Path(private_dir)
