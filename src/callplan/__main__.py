from callplan.cli import main

main()
