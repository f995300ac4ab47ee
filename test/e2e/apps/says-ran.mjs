// An app that only says it ran.
process.stdout.write('ran')
