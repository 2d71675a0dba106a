from django.urls import path

from students import views

app_name = "students"

urlpatterns = [
    path("", views.student_index, name="list"),
    path("<uuid:code>/", views.student_detail, name="detail"),
]
