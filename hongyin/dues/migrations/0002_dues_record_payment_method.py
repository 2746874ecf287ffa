from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial_dues")]

    operations = [
        migrations.AddField(
            model_name="duesrecord",
            name="method",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                choices=[
                    ("cash", "现金"),
                    ("bank", "银行转账"),
                    ("wechat", "微信"),
                    ("alipay", "支付宝"),
                    ("payroll", "工资代扣"),
                ],
                max_length=8,
                verbose_name="缴纳方式",
            ),
        ),
    ]
