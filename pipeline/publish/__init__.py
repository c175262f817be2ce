"""Stage 4, publish: datasets as CSV and Parquet, the datapackage, DCAT, the reports, written atomically.

`output.write_output` writes every file of an output folder (`files` for the datasets,
`datapackage` and `dcat` for the metadata, `report` with `pictures` for the validation
report); `atomic.replace_folder` has it write into a staging folder beside `--out` and
swaps that in only when complete, so an interrupted run leaves the previous output as it was.
`publishing` reads who publishes, under which licence and where. Data files are
byte-for-byte reproducible; only the reports carry the run's time.

Nothing is imported here, so that `pictures` (drawn in the worker processes) and
`publishing` (read before any document) load without pandas.
"""
