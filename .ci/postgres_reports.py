"""Reads the JUnit reports of the classes that need PostgreSQL: see postgres-reports."""
import os, sys, xml.etree.ElementTree as ET

expect = sys.argv[1]
status = 0
for name in sys.argv[2:]:
    reports = [p for p in (f"target/surefire-reports/TEST-{name}.xml", f"target/failsafe-reports/TEST-{name}.xml")
               if os.path.exists(p)]
    if not reports:
        print(f"{name}: no test report", file=sys.stderr)
        status = 1
        continue
    cases = ET.parse(reports[0]).getroot().iter("testcase")
    runs, total, skipped, failed = set(), 0, 0, 0
    for case in cases:
        total += 1
        classname = case.get("classname", "")
        runs.add(classname[len(name):] or "-")   # "[1]", "[2]" for the runs of a parameterised class
        skipped += case.find("skipped") is not None
        failed += case.find("failure") is not None or case.find("error") is not None
    parameterised = runs != {"-"}
    print(f"{name}: {total} tests in {len(runs)} run(s), {skipped} skipped, {failed} failed or in error")
    if total == 0 or failed:
        status = 1
    elif expect == "skipped" and skipped != total:
        status = 1
    elif expect == "ran" and (skipped or (parameterised and len(runs) < 2)):
        status = 1
if status:
    print(f"PostgreSQL spec reports are not as expected ({expect})", file=sys.stderr)
sys.exit(status)
