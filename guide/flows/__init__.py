"""The guided journey: flows of handbook steps, step progress, done/skip logic and self-check answers."""
