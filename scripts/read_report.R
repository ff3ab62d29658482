# read_report.R - load gaitbatch reports in R with rhdf5 (Bioconductor).
#   Rscript scripts/read_report.R OUT/summary.h5
#   rhdf5: Debian/Ubuntu package r-bioc-rhdf5, or
#   install.packages("BiocManager"); BiocManager::install("rhdf5")
# CI runs it on a batch's output (tests/cli/report_r.sh).
#
# Every table is a 1-D compound dataset: h5read(..., compoundAsDataFrame = TRUE) gives a
# data.frame; text columns are fixed-width NUL-padded UTF-8 strings. Units are the
# dataset's "units" attribute, aligned with its "columns" attribute.
library(rhdf5)

args <- commandArgs(trailingOnly = TRUE)
file <- if (length(args) > 0) args[1] else "OUT/summary.h5"
root <- h5readAttributes(file, "/")
cat(file, ": schema", root$schema, root$schema_version, "-", root$n_runs, "runs\n")

runs <- h5read(file, "/runs", compoundAsDataFrame = TRUE)
a <- h5readAttributes(file, "/runs")
units <- setNames(a$units, a$columns)
print(runs[, c("run_id", "athlete", "start", "status", "cadence_mean_spm", "pta_mean_g")])
cat("cadence_mean_spm in", units[["cadence_mean_spm"]], "\n")

# One athlete's weekly load (group names are sanitized; the id is the "athlete" attribute).
groups <- subset(h5ls(file), group == "/athletes" & otype == "H5I_GROUP")$name
g <- paste0("/athletes/", groups[1])
cat("athlete", h5readAttributes(file, g)$athlete, "\n")
weekly <- h5read(file, paste0(g, "/weekly"), compoundAsDataFrame = TRUE)
print(weekly[, c("week", "n_sessions", "duration_s", "load", "change_pct", "change_2wk_pct")])

# A run's steps from its own file; landing is int8 with labels in an attribute.
runfile <- file.path(dirname(file), runs$report[1])
steps <- h5read(runfile, "/steps", compoundAsDataFrame = TRUE)
labels <- h5readAttributes(runfile, "/steps")$landing_labels
steps$landing_label <- labels[steps$landing + 1]
print(head(steps))
h5closeAll()
