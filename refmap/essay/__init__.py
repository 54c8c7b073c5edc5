"""The essay: its text model and readers, sentences, figures, check-worthiness and where claim quotes anchor."""
