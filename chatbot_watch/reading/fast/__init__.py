"""Build speed, fenced off: nothing here changes what `reading.load` reports. Each fast way (the
file cache, re-reading only edited records, reading in worker processes) gives up on anything
unusual and leaves it to the exact way in reading/load.py; a change to how a field is read is
made there (and in reading/fieldcheck.py) only."""
