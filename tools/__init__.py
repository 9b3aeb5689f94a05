"""Development tools: benchmarks and accuracy scripts. Not part of the installed product."""
