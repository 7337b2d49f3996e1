"""Reading and validating the data files: YAML within limits (yamlread), one value against its
field (fieldcheck), the data's rules (rules), a data folder -> validated records (load).
The build-speed machinery is fenced off in `reading.fast`."""
