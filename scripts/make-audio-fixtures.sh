#!/usr/bin/env bash
# Regenerates fixtures/audio/** deterministically with espeak-ng and sox.
# Requires: espeak-ng (1.51), sox (14.4.2), python3 (for the JSON sidecar and
# the hand-built malformed files). `apt-get install espeak-ng sox` on Debian.
# Every sox call uses -D (no dither) so output is bit-for-bit reproducible.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/fixtures/audio"
BAD="$OUT/bad"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

for t in espeak-ng sox python3; do
  command -v "$t" >/dev/null 2>&1 || { echo "make-audio-fixtures: $t not found (apt-get install espeak-ng sox)" >&2; exit 1; }
done

mkdir -p "$OUT" "$BAD"
VOICE="en-us"
SPEED=170

# speak NAME "TEXT" -> $TMP/NAME.wav (espeak-ng native: 22050 Hz, mono, s16)
speak() { espeak-ng -v "$VOICE" -s "$SPEED" -w "$TMP/$1.wav" "$2"; }
# conv IN OUT RATE CHANNELS [sox output-format options...]
conv() {
  local in="$1" out="$2" rate="$3" ch="$4"; shift 4
  sox -D -V1 "$in" "$@" -r "$rate" -c "$ch" "$out"
}
text() { printf '%s\n' "$2" > "$OUT/$1.txt"; }

# --- real speech at 16/24/48 kHz, mono and stereo, PCM16 ---------------------
SPEECH="Please check my order status."
speak speech "$SPEECH"
for rate in 16000 24000 48000; do
  k=$((rate / 1000))
  conv "$TMP/speech.wav" "$OUT/speech-${k}k-mono.wav"   "$rate" 1 -b 16 -e signed-integer
  conv "$TMP/speech.wav" "$OUT/speech-${k}k-stereo.wav" "$rate" 2 -b 16 -e signed-integer
  text "speech-${k}k-mono" "$SPEECH"
  text "speech-${k}k-stereo" "$SPEECH"
done

# --- other sample formats (valid WAV, need conversion to PCM16) -------------
conv "$TMP/speech.wav" "$OUT/speech-16k-u8.wav"  16000 1 -b 8  -e unsigned-integer
conv "$TMP/speech.wav" "$OUT/speech-16k-s24.wav" 16000 1 -b 24 -e signed-integer
conv "$TMP/speech.wav" "$OUT/speech-16k-s32.wav" 16000 1 -b 32 -e signed-integer
conv "$TMP/speech.wav" "$OUT/speech-16k-f32.wav" 16000 1 -b 32 -e floating-point
for v in u8 s24 s32 f32; do text "speech-16k-$v" "$SPEECH"; done

# --- two-part utterance (pre-connect buffer + live continuation), 24 kHz mono
P1="Hello, my name is Alice and I need help with my order."
P2="The package arrived yesterday with a broken blue umbrella inside."
speak p1 "$P1"
speak p2 "$P2"
conv "$TMP/p1.wav" "$OUT/preconnect-part1.wav" 24000 1 -b 16 -e signed-integer
conv "$TMP/p2.wav" "$OUT/preconnect-part2.wav" 24000 1 -b 16 -e signed-integer
text preconnect-part1 "$P1"
text preconnect-part2 "$P2"
sox -D -V1 "$OUT/preconnect-part1.wav" "$OUT/preconnect-part2.wav" "$OUT/two-part.wav"
text two-part "$P1 $P2"
N1=$(soxi -s "$OUT/preconnect-part1.wav")
N2=$(soxi -s "$OUT/preconnect-part2.wav")
P1="$P1" P2="$P2" N1="$N1" N2="$N2" python3 - "$OUT/two-part.json" <<'PY'
import json, os, sys
sr = 24000
n1, n2 = int(os.environ["N1"]), int(os.environ["N2"])
end1 = round(n1 * 1000 / sr)
end2 = round((n1 + n2) * 1000 / sr)
doc = {
    "parts": [
        {"text": os.environ["P1"], "startMs": 0, "endMs": end1, "startSample": 0, "endSample": n1},
        {"text": os.environ["P2"], "startMs": end1, "endMs": end2, "startSample": n1, "endSample": n1 + n2},
    ],
    "sampleRate": sr,
    "channels": 1,
}
with open(sys.argv[1], "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
PY

# --- the same two parts with a 1.5 s pause between them: the turn ends after part 1 (server VAD
# silence 500 ms), the agent starts replying, then part 2 arrives live and barges in.
sox -D -V1 -n -r 24000 -c 1 -b 16 -e signed-integer "$TMP/pause.wav" trim 0 1.5
sox -D -V1 "$OUT/preconnect-part1.wav" "$TMP/pause.wav" "$OUT/preconnect-part2.wav" "$OUT/two-part-pause.wav"
text two-part-pause "$P1 $P2"
NP=$(soxi -s "$TMP/pause.wav")
P1="$P1" P2="$P2" N1="$N1" N2="$N2" NP="$NP" python3 - "$OUT/two-part-pause.json" <<'PY'
import json, os, sys
sr = 24000
n1, n2, np_ = int(os.environ["N1"]), int(os.environ["N2"]), int(os.environ["NP"])
doc = {
    "parts": [
        {"text": os.environ["P1"], "startMs": 0, "endMs": round(n1 * 1000 / sr), "startSample": 0, "endSample": n1},
        {"text": os.environ["P2"], "startMs": round((n1 + np_) * 1000 / sr), "endMs": round((n1 + np_ + n2) * 1000 / sr), "startSample": n1 + np_, "endSample": n1 + np_ + n2},
    ],
    "sampleRate": sr,
    "channels": 1,
}
with open(sys.argv[1], "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
PY

# --- malformed / unsupported files -------------------------------------------
printf 'this is not a RIFF/WAVE file, just text\n' > "$BAD/not-riff.wav"
: > "$BAD/empty.wav"
# truncated: a valid 16 kHz mono PCM16 file cut mid data chunk (header sizes
# still claim the full length); cut at an odd byte count (half a sample).
head -c 20001 "$OUT/speech-16k-mono.wav" > "$BAD/truncated.wav"
# zero-frames: valid 44-byte PCM16 header, data chunk of size 0.
python3 - "$BAD/zero-frames.wav" <<'PY'
import struct, sys
sr, ch, bits = 16000, 1, 16
fmt = struct.pack("<HHIIHH", 1, ch, sr, sr * ch * bits // 8, ch * bits // 8, bits)
body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", 0)
open(sys.argv[1], "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
PY
# compressed codecs
conv "$TMP/speech.wav" "$BAD/mulaw.wav" 8000 1 -e u-law
conv "$TMP/speech.wav" "$BAD/adpcm.wav" 16000 1 -e ima-adpcm

echo "make-audio-fixtures: wrote $(find "$OUT" -type f | wc -l) files under $OUT" >&2
