"""`make verify`: execute every snippet and notebook, write outputs and the record."""
