from kamrap.cli import app

app()
