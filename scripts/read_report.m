% read_report.m - load gaitbatch reports in MATLAB (not run in CI).
%
% The files use the HDF5 1.8 format, so MATLAB releases before R2021b read them too.
% Every table is a 1-D compound dataset: h5read returns a struct of column vectors,
% text columns as char matrices (width x rows, NUL-padded) that gb_table turns into
% cellstr columns. Units: h5readatt(file, '/runs', 'units'), aligned with 'columns'.

file = 'OUT/summary.h5';
fprintf('%s: schema %s %s\n', file, h5readatt(file, '/', 'schema'), ...
        h5readatt(file, '/', 'schema_version'));

runs = gb_table(file, '/runs');
disp(runs(:, {'run_id', 'athlete', 'start', 'status', 'cadence_mean_spm', 'pta_mean_g'}));
units = containers.Map(h5readatt(file, '/runs', 'columns'), h5readatt(file, '/runs', 'units'));
fprintf('cadence_mean_spm in %s\n', units('cadence_mean_spm'));

% One athlete's weekly load: group names are sanitized ids; the original id is the
% group's 'athlete' attribute.
info = h5info(file, '/athletes');
g = info.Groups(1).Name;
fprintf('athlete %s\n', h5readatt(file, g, 'athlete'));
weekly = gb_table(file, [g '/weekly']);
disp(weekly(:, {'week', 'n_sessions', 'duration_s', 'load', 'change_pct', 'change_2wk_pct'}));

% A run's steps, from its own file (the summary's /run/<run_id> external links point there).
runfile = fullfile(fileparts(file), runs.report{1});
steps = gb_table(runfile, '/steps');
labels = h5readatt(runfile, '/steps', 'landing_labels');   % {'unknown','rearfoot','midfoot'}
steps.landing_label = labels(double(steps.landing) + 1);
disp(steps(1:min(5, height(steps)), :));

function T = gb_table(file, name)
  s = h5read(file, name);
  f = fieldnames(s);
  for k = 1:numel(f)
    v = s.(f{k});
    if ischar(v)
      s.(f{k}) = deblank(cellstr(v'));   % width x n char -> n x 1 cellstr
    end
  end
  T = struct2table(s);
end
