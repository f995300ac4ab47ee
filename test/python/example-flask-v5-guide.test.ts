/**
 * The Flask example written from Whop's v5 OAuth guide (conformance/examples/flask-v5-guide),
 * run by Debian's python3 with python3-flask and python3-requests: every mode of its verdict
 * table gets exactly its verdicts. Without those packages the test fails with one line saying
 * how to get them.
 */
import { spawnSync } from 'node:child_process'
import t from 'tap'
import { readVerdictTable, testVerdictTable } from '../helpers/verdict-table.js'

const PYTHON = '/usr/bin/python3'
const probe = spawnSync(PYTHON, ['-c', 'import flask, requests'], { encoding: 'utf8' })

if (probe.status !== 0) {
  t.fail(`${PYTHON} with flask and requests is needed: apt-get install -y python3-flask python3-requests`)
} else {
  const listed = spawnSync(PYTHON, ['-c', 'import app; print("\\n".join(app.DEFECTS))'], {
    cwd: new URL('../../conformance/examples/flask-v5-guide/', import.meta.url).pathname,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  })
  t.equal(listed.status, 0, 'the app imports')
  testVerdictTable(t, readVerdictTable('flask-v5-guide'), listed.stdout.trim().split('\n'))
}
