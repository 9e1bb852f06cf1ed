"""Streamlit pages and widgets: render, collect input, call the domain below. Only here imports streamlit."""
