"""Contract templates (Word files with typed variables), the clause library, and drafting contracts from them."""
