import factory
from factory.django import DjangoModelFactory

from accounts.models import Enterprise, EnterpriseKind, Region, User
from accounts.seed import make_credit_code


class CityFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = "晋城市"
    code = "140500"
    level = Region.Level.CITY


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试县{n}")
    code = factory.Sequence(lambda n: f"1405{n + 80:02d}")
    level = Region.Level.COUNTY
    parent = factory.SubFactory(CityFactory)
    order = factory.Sequence(lambda n: n)


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试建设有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(900000 + n))

    @factory.post_generation
    def kinds(self, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted or ["contractor"]
        EnterpriseKind.ensure_all()  # a transactional test's flush removes the migration's rows
        self.kinds.set(EnterpriseKind.objects.filter(code__in=codes))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.LazyAttribute(lambda o: f"{o.username}的姓名")
    role = User.Role.COUNTY_STAFF
    password = factory.django.Password("Test@12345")
