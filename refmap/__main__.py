from refmap.cli import main

main()
