"""The licence the open data is published under: the Open Government Licence v3.0, which the
Local Government Transparency Code expects."""

NAME = "Open Government Licence v3.0"
URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
# The attribution statement the licence asks re-users to include.
STATEMENT = "Contains public sector information licensed under the Open Government Licence v3.0."
