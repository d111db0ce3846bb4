from slackapp.cli import main

raise SystemExit(main())
