from django.urls import path

from . import views

app_name = "advice"
urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("read/<slug:slug>/", views.article_detail, name="article"),
    path("search/", views.search_page, name="search"),
]
