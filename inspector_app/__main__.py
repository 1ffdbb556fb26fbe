"""`python -m inspector_app`: the same as the `inspector` command."""

from inspector_app.entry import main

if __name__ == "__main__":
    main()
