"""kvgraph: Dutch parliamentary written questions (Kamervragen) as a linked-data graph."""
