"""Generate ``resources/sample-data/sample-recording.WAV`` (run once; the file is committed).

Kobikom serves call recordings "encoded with WAV49": GSM 6.10 inside
RIFF/WAVE (format tag 0x0031, mono, 8 kHz, block align 65).  This script
synthesises six seconds of a voice-like signal (a glottal pulse train with a
wandering pitch through three vowel formants, in syllables separated by
short pauses) and writes it with libsndfile's ``GSM610`` subtype, which
produces exactly that layout.

Usage: ``python tools/make_sample_recording.py [output]`` (needs numpy and
soundfile, the ``test`` extra).  The simulator only reads the result.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 8000
SECONDS = 6.0
#: (F1, F2, F3) in Hz for a, e, i, o, u.
VOWELS = [(730, 1090, 2440), (530, 1840, 2480), (270, 2290, 3010), (570, 840, 2410),
          (300, 870, 2240)]


def resonate(signal: np.ndarray, freq: float, bandwidth: float) -> np.ndarray:
    """A two-pole resonator (one formant)."""
    r = np.exp(-np.pi * bandwidth / RATE)
    a1, a2 = 2 * r * np.cos(2 * np.pi * freq / RATE), -r * r
    out = np.zeros_like(signal)
    y1 = y2 = 0.0
    for i, x in enumerate(signal):
        y = x + a1 * y1 + a2 * y2
        out[i] = y
        y2, y1 = y1, y
    return out


def synthesise(seed: int = 20240310) -> np.ndarray:
    rng = np.random.default_rng(seed)
    total = int(RATE * SECONDS)
    out = np.zeros(total)
    pos = int(0.2 * RATE)
    while pos < total - RATE // 5:
        length = int(rng.uniform(0.12, 0.3) * RATE)
        f0 = rng.uniform(105, 170)
        t = np.arange(length) / RATE
        pitch = f0 * (1 + 0.08 * np.sin(2 * np.pi * rng.uniform(2, 5) * t))
        phase = np.cumsum(pitch / RATE)
        pulses = (np.diff(np.floor(phase), prepend=0) > 0).astype(float)
        voice = pulses + 0.02 * rng.standard_normal(length)
        formants = VOWELS[rng.integers(len(VOWELS))]
        shaped = sum(resonate(voice, f, 60 + 20 * k) / (k + 1) for k, f in enumerate(formants))
        envelope = np.sin(np.pi * np.arange(length) / length) ** 0.7
        end = min(total, pos + length)
        out[pos:end] += (shaped * envelope)[: end - pos]
        pos = end + int(rng.choice([0.03, 0.05, 0.08, 0.35]) * RATE)
    return 0.6 * out / np.max(np.abs(out))


def main() -> None:
    default = Path(__file__).resolve().parents[1] / "resources/sample-data/sample-recording.WAV"
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    sf.write(target, synthesise(), RATE, format="WAV", subtype="GSM610")
    info = sf.info(target)
    print(f"{target}: {info.format} {info.subtype} {info.samplerate} Hz {info.duration:.2f} s")


if __name__ == "__main__":
    main()
