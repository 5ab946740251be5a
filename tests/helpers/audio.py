"""Real audio files for tests: GSM 6.10 in WAV (the PBX's "WAV49"), made with soundfile."""

from __future__ import annotations

import io

import numpy as np
import soundfile

RATE = 8000


def voice_like(seconds: float, rate: int = RATE) -> np.ndarray:
    """A few seconds of a voice-like signal (two tones with a slow envelope)."""
    t = np.arange(int(seconds * rate)) / rate
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 1.5 * t)
    return (0.3 * envelope * (np.sin(2 * np.pi * 220 * t) + 0.5 * np.sin(2 * np.pi * 660 * t))
            ).astype(np.float32)


def gsm_wav(seconds: float = 3.0) -> bytes:
    """A real WAV49 file: GSM 6.10, 8 kHz mono, *seconds* long."""
    buffer = io.BytesIO()
    soundfile.write(buffer, voice_like(seconds), RATE, format="WAV", subtype="GSM610")
    return buffer.getvalue()
