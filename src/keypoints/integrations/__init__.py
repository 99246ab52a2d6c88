"""keypoints inside other tools: the spaCy pipeline component (`spacy_component`)."""
