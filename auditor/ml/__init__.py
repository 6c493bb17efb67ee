"""The learned indicator models: category, quality and side (target or completion) of an indicator text.

Trained with scikit-learn (``auditor train``) and shipped as plain JSON (vocabularies, IDF
weights, scaler and coefficients) that :class:`~auditor.ml.linear.LinearTextModel` evaluates with
numpy — nothing is unpickled, and scikit-learn is not imported when a model is only used.
"""
