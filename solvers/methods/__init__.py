"""Methods that call a backend repeatedly (training with a solver as teacher, ...), one module each."""
