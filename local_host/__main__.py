from local_host.main import main

raise SystemExit(main())
