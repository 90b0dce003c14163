"""kamrap.normalize"""
