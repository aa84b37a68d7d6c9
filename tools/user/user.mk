include user/user.mk
