"""One module per page; each exposes `render()`. The page table lives in guide/ui/app.py."""
