from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """?page=2; 50 a page, or up to 500 with ?page_size= (a report tool reading everything)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
