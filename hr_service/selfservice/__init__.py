"""The worker's self-service page (自助服务): one static page, served by HR at
``/me/page``, that reads the worker's own ``/me…`` views of all three services."""
