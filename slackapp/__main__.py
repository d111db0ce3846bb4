from slackapp.cli import main

if __name__ == "__main__":  # review worker processes import this module too
    raise SystemExit(main())
