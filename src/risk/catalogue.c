/* The flag catalogue (DESIGN §7): every cause and preventive measure of the injury
 * guidance in ../shared/seeds/ (000: "running hind leg pain", 003: "back leg pain
 * during running") mapped to what a body-worn accelerometer measures, and the items
 * it cannot see, with why. */
#include <stddef.h>

#include "gaitbatch/risk.h"

static const gb_flag_info catalogue[] = {
  /* ---- load (per athlete, gb_load_compute) ---- */
  {"load.session_spike",
   "\"Don't suddenly speed up to increase the amount of exercise\"; \"the amount of exercise "
   "should be increased step by step\"; calf damage \"when running suddenly increases\"",
   "session load (duration, steps or cumulative impact) vs the largest session of the "
   "previous 30 calendar days (and earlier the same day); Frandsen et al., BJSM 2025: >10-30 % HRR "
   "1.64, >30-100 % HRR 1.52, >100 % HRR 2.28 (primary load signal)",
   "info >10-30 %, warn >30-100 %, high >100 %",
   "load.spike_band1, load.spike_band2, load.spike_band3, load.spike_lookback_days, "
   "load.load_metric",
   "load"},
  {"load.weekly_ramp",
   "\"Running is not gradual: if the amount of running is not increased step-by-step\"; "
   "\"a weekly increase in running volume not exceeding 10%\"",
   "ISO-week load totals: week-over-week change > 10 % (info; the 10 % rule is an "
   "association, Buist 2008) and (this + previous week) vs the two weeks before > 30 % "
   "(warn; Nielsen et al., JOSPT 2014); only weeks with an established base and non-empty "
   "comparison weeks",
   "info (week-over-week), warn (2-week)", "load.weekly_ramp_max, load.two_week_ramp_max",
   "load"},
  {"load.acwr_high",
   "\"If the amount of exercise exceeds the body load, it is easy to cause muscle strain\"; "
   "\"better not to exceed the range of their own energy load\"",
   "rolling acute (7 d) : chronic (28 d) mean daily load > 1.5 on a session day (Gabbett "
   "2016 'danger zone'), EWMA ratio (Williams 2017) reported alongside; an association, "
   "not a prediction (Impellizzeri 2020/2021); never before the chronic base",
   "warn", "load.acwr_high, load.acute_days, load.chronic_days, load.base_min_days", "load"},
  {"load.no_base",
   "\"People who never exercise at ordinary times suddenly carry out a high-intensity "
   "running exercise\" (lack of exercise; strengthen exercise; keep running; novices "
   "should adapt gradually)",
   "a session of at least 30 min while the athlete's history spans fewer than 28 days "
   "(no chronic base yet)",
   "warn", "load.no_base_min_s, load.base_min_days", "load"},
  /* ---- run (per recording, gb_risk_run_flags) ---- */
  {"warmup.missing",
   "\"Insufficient warm-up exercise\"; \"Warm up fully: adequate warm-up can prevent sports "
   "injuries\"",
   "analyzer event: intensity (cadence, impact) of the first minutes already at the run's "
   "steady state",
   "info", "analysis.warmup_window_s", "run"},
  {"landing.rearfoot",
   "\"Use the middle of the foot to land and then transition to the full sole of the foot "
   "to cushion the impact\"",
   "share of rearfoot steps (10-20 Hz impact transient vs 4-8 Hz active band) above the "
   "threshold; only where the landing pattern is known (not on a wrist, not below the "
   "impact sample rate)",
   "info", "risk.rearfoot_share_max, analysis.landing_ratio_threshold", "run"},
  {"posture.trunk_lean",
   "\"Incorrect running posture\"; \"don't collapse your shoulders, bend down ... keep your "
   "back straight\"",
   "trunk/sacrum sensors only: |trunk lean| beyond the threshold, or late-vs-early lean "
   "drift beyond its threshold, or the analyzer's trunk_lean events",
   "warn", "risk.trunk_lean_max_deg, risk.trunk_lean_drift_deg", "run"},
  {"intensity.surge",
   "\"Don't suddenly speed up to increase the amount of exercise, which is easy to cause "
   "leg injury\"",
   "analyzer event: cadence or impact jump within a few seconds", "info",
   "analysis.surge_window_s, analysis.surge_cadence_pct", "run"},
  {"event.abrupt_stop",
   "\"An emergency stop, change of direction, or incorrect posture may cause partial "
   "tearing of the gastrocnemius or soleus\"",
   "analyzer event: running to still within a second or two (change of direction is not "
   "detected, see the unobservable list)",
   "info", "analysis.stop_max_s", "run"},
  {"fatigue.drift",
   "\"Large amount of exercise\"; muscle fatigue: \"the calf muscles continue to contract "
   "and exert force\"",
   "analyzer fatigue_drift events, else late vs early fifth of the running: cadence drop "
   "> 3 % or mean impact rise > 15 % (Mizrahi et al. 2000)",
   "warn", "risk.fatigue_cadence_drop_pct, risk.fatigue_impact_rise_pct, "
   "analysis.fatigue_min_run_s", "run"},
  {"surface.irregular",
   "\"Try to avoid running on rugged and sloping roads. Running on flat ground can reduce "
   "the impact on legs\"",
   "analyzer irregular events, else step-to-step CV of peak impact while running (>= 60 s) "
   "above the threshold",
   "info", "risk.impact_cv_max", "run"},
  {"cadence.low",
   "\"Not using the correct posture will lead to greater load on the leg joint muscles\" "
   "(overstriding: a low step rate raises joint load, Heiderscheit et al. 2011)",
   "median cadence of the windows inside running bouts below the threshold; needs >= 60 s "
   "of running",
   "info", "risk.cadence_low_spm", "run"},
  {"impact.high",
   "\"Running on flat ground can reduce the impact on legs\"; \"choose plastic tracks or "
   "other cushioning surfaces to reduce impact\"; shoes \"with better cushioning\"",
   "mean peak acceleration over steps: tibia/foot PTA > 8 g (Crowell & Davis 2011 "
   "screening), sacrum/trunk > 4 g; speed is unknown, so the message gives the run's "
   "cadence and the speed effect (+38 % from 2.7 to 3.7 m/s, Sheerin 2020)",
   "warn", "risk.pta_high_g, risk.impact_high_trunk_g", "run"},
  {"quality.clipping", "(data quality)",
   "share of steps whose peak touched the sensor's full scale above the threshold: PTA is "
   "then a lower bound",
   "warn", "risk.clipped_share_max", "run"},
  {"quality.low_rate", "(data quality)",
   "sample rate below the impact minimum (100 Hz): impact and landing unavailable, cadence "
   "and load still reported",
   "info", "analysis.impact_min_rate_hz", "run"},
  {"gait.asymmetry",
   "compensation; \"in severe cases, walking difficulties may occur\"; \"investigation for "
   "biomechanical abnormalities such as flat feet\"",
   "alternating-step impact asymmetry index above the threshold (Zifchock et al. 2008), or "
   "the analyzer's asymmetry events",
   "warn", "risk.asymmetry_max_pct", "run"},
};

static const gb_flag_info unobservable[] = {
  {"hydration",
   "dehydration spasm: \"electrolyte drinks 2 hours before exercise, a small amount of water "
   "every 20 minutes\"",
   "fluid and electrolyte state is physiological: an accelerometer records movement only",
   "", "", "none"},
  {"lactate",
   "lactic acid accumulation after sprinting or slope training; relieved within 1-3 days",
   "blood lactate needs a blood sample or a metabolic sensor; sprints show only as surges "
   "and session load",
   "", "", "none"},
  {"shoes",
   "\"wear appropriate running shoes\"; \"replace running shoes with better cushioning\"",
   "footwear is not in the signal; its effect appears only mixed into impact.high, which "
   "cannot tell shoe from surface or speed",
   "", "", "none"},
  {"stretching_drills",
   "\"do stretching\", dynamic and static stretching before and after; warm-up drills (high "
   "leg lifting, heel tiptoe, waist twisting); fascial-ball release",
   "done off the run and usually not recorded; only the running warm-up is seen "
   "(warmup.missing)",
   "", "", "none"},
  {"treatment",
   "hot and cold compress, massage, elastic bandage, rest after pain",
   "treatments and rest days off the sensor; rest days appear only as zero-load days in the "
   "load table",
   "", "", "none"},
  {"symptoms",
   "pain, bruising, swelling, fever, cramps; \"see a doctor\" for persistent or tearing pain",
   "symptoms are reported by the runner, not measured; a limp may show as gait.asymmetry",
   "", "", "none"},
  {"nutrition", "magnesium-rich foods such as bananas and nuts", "diet is not measured", "",
   "", "none"},
  {"anatomy",
   "biomechanical abnormalities such as flat feet",
   "needs a clinical examination; gait.asymmetry and landing.rearfoot are indirect at best",
   "", "", "none"},
  {"head_shoulders",
   "\"look up at the front, keep your shoulders relaxed\"",
   "a sacrum or trunk accelerometer gives trunk inclination, not head or shoulder position",
   "", "", "none"},
  {"direction_change",
   "\"change of direction\" as a cause of calf strain",
   "turns need a gyroscope or a magnetometer; gaitbatch reads accelerometers only",
   "", "", "none"},
  {"slope",
   "\"sloping roads\", \"slope training\"",
   "incline cannot be separated from trunk lean and speed without altitude or speed; only "
   "irregular ground is flagged (surface.irregular)",
   "", "", "none"},
  {"recovery_48h",
   "\"avoid repetitive high-intensity training within 48 hours after running\"",
   "session times are visible, but 'high intensity' needs a per-athlete intensity reference "
   "the load input lacks; a proposed load.recovery_short (key load.recovery_min_h = 48) is "
   "not raised yet",
   "", "", "none"},
};

const gb_flag_info *gb_risk_catalogue(size_t *n)
{
  if (n) *n = sizeof catalogue / sizeof catalogue[0];
  return catalogue;
}

const gb_flag_info *gb_risk_unobservable(size_t *n)
{
  if (n) *n = sizeof unobservable / sizeof unobservable[0];
  return unobservable;
}
