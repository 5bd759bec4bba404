from slotkit.cli import main

raise SystemExit(main())
