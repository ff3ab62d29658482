#!/usr/bin/python3
"""The plain numpy/scipy script a researcher would write for gaitbatch's core
(the peer of `scripts/bench.sh`): load the recording, take the vertical axis,
cadence by a sliding Hann-windowed rfft (8 s windows, 1 s hop, peak in the step
band), steps by scipy.signal.find_peaks, an HDF5 report with h5py (gzip 4).

Usage: peer_numpy.py FILE [--h5 OUT.h5] [--axis z]   (CSV t,x,y,z in g, or WAV/FLAC)
Prints one JSON object: windows, cadence_median_spm, n_steps, seconds per stage.
"""
import argparse, json, sys, time

t0 = time.perf_counter()
import numpy as np
import scipy.signal
t_import = time.perf_counter() - t0


def load(path, axis):
    if path.lower().endswith((".csv", ".tsv", ".txt")):
        import pandas as pd
        df = pd.read_csv(path, comment="#")
        tcol = df.columns[0]
        t = df[tcol].to_numpy()
        fs = 1.0 / np.median(np.diff(t[: min(len(t), 10000)]))
        col = axis if axis in df.columns else df.columns[-1]
        return df[col].to_numpy(dtype=np.float64), fs
    import soundfile as sf
    data, fs = sf.read(path, dtype="float64", always_2d=True)
    if data.shape[1] >= 3:
        v = data[:, 2]
    else:
        v = data[:, 0]
    # integer PCM: gaitbatch's synth stores g/full_scale; scale back (comment fullscale_g=)
    info = sf.info(path)
    if info.subtype.startswith("PCM"):
        fsg = 16.0
        try:
            with sf.SoundFile(path) as f:
                c = f.comment or ""
            for part in c.replace(";", "\n").split("\n"):
                if "fullscale_g=" in part:
                    fsg = float(part.split("=")[1])
        except Exception:
            pass
        v = v * fsg
    return v, float(fs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--h5")
    ap.add_argument("--axis", default="z")
    a = ap.parse_args()
    t1 = time.perf_counter()
    v, fs = load(a.file, a.axis)
    t_load = time.perf_counter() - t1

    t1 = time.perf_counter()
    win = int(round(8 * fs)); hop = int(round(1 * fs))
    nfft = 1 << int(np.ceil(np.log2(4 * win)))
    x = v - v.mean()
    if len(x) >= win:
        frames = np.lib.stride_tricks.sliding_window_view(x, win)[::hop]
    else:
        frames = x[None, :]
    frames = frames - frames.mean(axis=1, keepdims=True)
    spec = np.abs(np.fft.rfft(frames * np.hanning(frames.shape[1]), n=nfft, axis=1)) ** 2
    f = np.fft.rfftfreq(nfft, 1 / fs)
    band = (f >= 60 / 60) & (f <= 240 / 60)
    k = np.argmax(spec[:, band], axis=1)
    cad = f[band][k] * 60
    t_fft = time.perf_counter() - t1

    t1 = time.perf_counter()
    peaks, _ = scipy.signal.find_peaks(v, height=1.5, distance=max(1, int(0.25 * fs)))
    t_peaks = time.perf_counter() - t1

    t1 = time.perf_counter()
    if a.h5:
        import h5py
        with h5py.File(a.h5, "w") as h:
            h.create_dataset("cadence/cadence_spm", data=cad, compression="gzip", compression_opts=4)
            h.create_dataset("steps/t_s", data=peaks / fs, compression="gzip", compression_opts=4)
    t_h5 = time.perf_counter() - t1
    print(json.dumps({"file": a.file, "rate_hz": fs, "frames": int(len(v)), "windows": int(len(cad)),
                      "cadence_median_spm": float(np.median(cad)), "n_steps": int(len(peaks)),
                      "seconds": {"import": t_import, "load": t_load, "fft": t_fft, "peaks": t_peaks,
                                  "h5": t_h5}}))


if __name__ == "__main__":
    sys.exit(main())
