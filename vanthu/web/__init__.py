"""``vanthu web``: the web page of the records staff (letters, tasks, the register)."""
