"""Templates, the clause library and drafting: contracts that start in Pactum from a template."""
