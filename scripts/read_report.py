#!/usr/bin/env python3
"""Load gaitbatch reports with h5py + pandas (Debian: python3-h5py python3-pandas).

    scripts/read_report.py OUT/summary.h5 [--athlete ID] [--run RUN_ID]

Prints /runs (one row per run), one athlete's weekly load table and the first steps
of one run (reached through the summary's external link /run/<run_id>).

Conventions of every table (README "Report schema"): a 1-D compound dataset, so
`pd.DataFrame(ds[()])` is the whole table; text columns are fixed-width NUL-padded
UTF-8 and arrive as bytes (decoded below); `ds.attrs["columns"]` and
`ds.attrs["units"]` give each column's unit; /steps stores `landing` as int8 with the
labels in `ds.attrs["landing_labels"]`.
"""
import argparse
import sys

import h5py
import pandas as pd


def table(ds):
    """A compound dataset as a DataFrame with its text columns decoded to str."""
    df = pd.DataFrame(ds[()])
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].map(lambda b: b.decode("utf-8") if isinstance(b, bytes) else b)
    return df


def units(ds):
    """{column: unit} from the `columns` and `units` attributes."""
    return dict(zip(ds.attrs["columns"], ds.attrs["units"]))


def athlete_group(f, athlete):
    """The /athletes/<id> group of an athlete id (group names are sanitized; the
    original id is the group's `athlete` attribute)."""
    groups = f["athletes"]
    for name in groups:
        if athlete is None or groups[name].attrs.get("athlete") == athlete:
            return groups[name]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("summary", help="OUT/summary.h5 written by gaitbatch batch")
    ap.add_argument("--athlete", help="athlete id (default: the first)")
    ap.add_argument("--run", help="run_id whose steps to show (default: the athlete's first)")
    args = ap.parse_args()

    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 12)
    with h5py.File(args.summary, "r") as f:
        if f.attrs.get("schema") != "gaitbatch.summary":
            sys.exit(f"{args.summary}: not a gaitbatch summary (schema {f.attrs.get('schema')!r})")
        print(f"{args.summary}: schema {f.attrs['schema']} {f.attrs['schema_version']}, "
              f"{f.attrs['n_runs']} runs ({f.attrs['n_failed']} failed)")

        runs = table(f["runs"])
        u = units(f["runs"])
        print("\n/runs")
        cols = ["run_id", "athlete", "start", "status", "duration_s", "cadence_mean_spm", "pta_mean_g"]
        print(runs[cols].to_string(index=False))
        print(f"(units: cadence_mean_spm {u['cadence_mean_spm']}, pta_mean_g {u['pta_mean_g']})")

        grp = athlete_group(f, args.athlete)
        if grp is None:
            sys.exit(f"{args.summary}: no athlete {args.athlete!r} under /athletes")
        athlete = grp.attrs["athlete"]
        weekly = table(grp["weekly"])
        print(f"\n/athletes/{grp.name.split('/')[-1]}/weekly (athlete {athlete})")
        print(weekly[["week", "n_sessions", "duration_s", "steps", "load", "change_pct",
                      "change_2wk_pct"]].to_string(index=False))

        ok = runs[(runs.athlete == athlete) & (runs.status == "ok")]
        run_id = args.run or (ok.run_id.iloc[0] if len(ok) else None)
        if run_id is None:
            print("\n(no analysed run for this athlete)")
            return
        name = "".join(c if c.isalnum() or c in "_-" else "_" for c in run_id)
        run = f["run"][name]  # external link to runs/<run_id>.h5
        steps = run["steps"]
        labels = [s for s in steps.attrs["landing_labels"]]
        st = table(steps)
        st["landing"] = st["landing"].map(lambda i: labels[i] if 0 <= i < len(labels) else str(i))
        summary = table(run["summary"])
        print(f"\n/run/{name}/steps: {len(st)} steps, landing pattern "
              f"{summary.landing_pattern.iloc[0]}, cadence {summary.cadence_mean_spm.iloc[0]:.1f} spm")
        print(st.head(5).to_string(index=False))


if __name__ == "__main__":
    main()
